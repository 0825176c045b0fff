package dev.vigil.app.feeds;

import dev.vigil.app.CommonOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every {@code vigil feeds} subcommand takes: its vigil.yaml and the Kafka cluster that holds the catalogue. */
abstract class FeedsSubcommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions.Config config;

    @Mixin
    CommonOptions.Kafka kafka;
}
