package dev.vigil.app;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same end-to-end scenarios against Kafka in a container (the apache/kafka image). Skipped,
 * and reported as skipped, where no Docker engine is available.
 */
@Tag("integration")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@Testcontainers(disabledWithoutDocker = true)
class ContainerPipelineIT extends PipelineScenario {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.1");

    @Override
    String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }
}
