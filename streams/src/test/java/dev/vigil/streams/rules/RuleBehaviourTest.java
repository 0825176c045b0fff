package dev.vigil.streams.rules;

/** The rule behaviours in the JVM's own locale. */
class RuleBehaviourTest extends RuleBehaviours {
}
