package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** {@code docs/asyncapi.yaml}, the topics' contract for subscribers, is a valid AsyncAPI document that says what it means. */
class AsyncApiDocumentTest {

    static final Path DOCUMENT = DeploymentFilesTest.ROOT.resolve("docs/asyncapi.yaml");
    static final Path CHECKER = DeploymentFilesTest.ROOT.resolve(".ci/asyncapi");

    @Test
    void passesTheOfficialAsyncApiParser() throws IOException, InterruptedException {
        assumeTrue(DeploymentFilesTest.onPath("node"), "node is not installed: docs/asyncapi.yaml not checked with @asyncapi/parser");
        assumeTrue(Files.isDirectory(CHECKER.resolve("node_modules/@asyncapi/parser")),
                "@asyncapi/parser is not installed (.ci/run runs `npm ci --prefix .ci/asyncapi`): docs/asyncapi.yaml not checked with it");
        Process p = new ProcessBuilder("node", CHECKER.resolve("validate.mjs").toString(), DOCUMENT.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("valid AsyncAPI 3.");
    }

    /** Schema keywords a payload schema here may use; anything else is a description's comma read by YAML as a key. */
    static final Set<String> KEYWORDS = Set.of("type", "description", "format", "enum", "items", "properties", "required", "minimum", "maximum",
            "const", "additionalProperties", "examples", "$ref", "oneOf", "anyOf", "allOf", "default", "minItems", "maxItems", "pattern",
            "minLength", "maxLength", "title", "contentEncoding", "contentMediaType", "deprecated", "exclusiveMinimum", "exclusiveMaximum",
            "uniqueItems", "propertyNames", "patternProperties", "readOnly");

    @Test
    @SuppressWarnings("unchecked")
    void everyPayloadSchemaUsesOnlySchemaKeywords() throws IOException {
        Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(DOCUMENT));
        List<String> stray = new ArrayList<>();
        strayKeys(((Map<String, Object>) doc.get("components")).get("schemas"), "components.schemas", false, stray);
        assertThat(stray).as("keys that are no schema keyword (an unquoted description with a comma in a flow mapping?)").isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static void strayKeys(Object node, String path, boolean schema, List<String> stray) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                String key = String.valueOf(k);
                if (schema && !KEYWORDS.contains(key)) {
                    stray.add(path + "." + key);
                }
                // under properties every key is a property name whose value is a schema; elsewhere a schema's values are schemas or plain values
                boolean childIsSchema = !schema || key.equals("items") || key.equals("additionalProperties");
                if (schema && key.equals("properties")) {
                    ((Map<String, Object>) v).forEach((name, s) -> strayKeys(s, path + ".properties." + name, true, stray));
                } else if (schema && (key.equals("oneOf") || key.equals("anyOf") || key.equals("allOf")) && v instanceof List<?> list) {
                    for (int i = 0; i < list.size(); i++) {
                        strayKeys(list.get(i), path + "." + key + "[" + i + "]", true, stray);
                    }
                } else if (childIsSchema && v instanceof Map<?, ?>) {
                    strayKeys(v, path + "." + key, true, stray);
                }
            });
        }
    }
}
