# The Vigil service image: one image, the command picks the service (ingest, streams, alerts, run).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY model/pom.xml model/
COPY ingest/pom.xml ingest/
COPY streams/pom.xml streams/
COPY alerts/pom.xml alerts/
COPY app/pom.xml app/
RUN mvn -B -q dependency:go-offline -DexcludeGroupIds=dev.vigil || true
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 vigil && mkdir -p /var/lib/vigil && chown vigil /var/lib/vigil
COPY --from=build /src/app/target/vigil.jar /opt/vigil/vigil.jar
COPY --from=build /src/app/target/lib/ /opt/vigil/lib/
USER vigil
WORKDIR /var/lib/vigil
ENV VIGIL_DATA_DIR=/var/lib/vigil VIGIL_HTTP_BIND=0.0.0.0 VIGIL_HTTP_PORT=8080
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/vigil/vigil.jar"]
CMD ["--help"]
