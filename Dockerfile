# billbridge container image: a static binary in an empty image, as user
# 65532, data in the /data volume.
#   docker build -t billbridge --build-arg VERSION=1.2.3 --build-arg COMMIT=$(git rev-parse --short HEAD) .
#   docker run -p 8080:8080 -v billbridge-data:/data billbridge
# Automatic HTTPS: see compose.yaml and docs/deploy.md.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
# The Go client is a module of its own that go.mod replaces with ./client.
COPY client/go.mod client/go.sum ./client/
RUN go mod download
COPY . .
ARG VERSION=dev
ARG COMMIT=unknown
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" \
      -o /out/billbridge ./cmd/billbridge \
 && mkdir -p /out/data && chown 65532:65532 /out/data && chmod 0700 /out/data

# No shell, no libc, no CA bundle: the binary embeds CA roots and time zones.
FROM scratch
COPY --from=build /out/billbridge /billbridge
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV BILLBRIDGE_DATA_DIR=/data \
    BILLBRIDGE_ADDR=:8080
VOLUME /data
EXPOSE 8080 8443
HEALTHCHECK --interval=30s --timeout=6s --start-period=20s --retries=3 CMD ["/billbridge", "healthcheck"]
ENTRYPOINT ["/billbridge"]
CMD ["serve"]
