#!/usr/bin/env bash
# Builds the SBOM generator image (syft + BuildKit's scanner protocol) and
# pushes it to the local registry, once: a later run finds it there and does
# nothing. Prints the image reference.
#   bash scripts/sbom-generator.sh          # ensure it exists, print its name
# syft comes from the Go module proxy (CGO off, a static binary); building it
# takes several minutes on 2 cores the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(bash scripts/stack.sh env)"

SYFT_VERSION=${SYFT_VERSION:-v1.57.0}
IMAGE=$NERDCTL_TEST_REGISTRY/tools/sbom-syft:$SYFT_VERSION
accept=application/vnd.oci.image.index.v1+json,application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json
if curl -fsS -o /dev/null -H "Accept: $accept" "http://$NERDCTL_TEST_REGISTRY/v2/tools/sbom-syft/manifests/$SYFT_VERSION"; then
  echo "$IMAGE"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=${SYFT_BIN:-}
if [ -z "$bin" ]; then
  GOBIN="$work/bin" CGO_ENABLED=0 go install "github.com/anchore/syft/cmd/syft@$SYFT_VERSION" >&2
  bin=$work/bin/syft
fi
cp scripts/sbom-generator/Dockerfile scripts/sbom-generator/scan.sh "$work/"
cp "$bin" "$work/syft"
nerdctl build --progress plain --build-arg "BASE=$NERDCTL_TEST_BASE_IMAGE" -t "$IMAGE" "$work" >&2
nerdctl push "$IMAGE" >&2
echo "$IMAGE"
