package dev.vigil.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to a Kafka cluster: the options every such command takes (its vigil.yaml,
 * the cluster's address and client configuration), in one place. Picocli reads them from this
 * class as from the command's own fields.
 */
public abstract class KafkaCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    @Mixin
    protected CommonOptions.Config config;

    @Mixin
    protected CommonOptions.Kafka kafka;
}
