#!/bin/sh
# Certifies a third party's store and transport from OUTSIDE the range-streams reactor, using only
# the installed range-streams-api and range-streams-tck jars, in a throwaway local repository.
#
#   sh tck/src/test/resources/certify-outside.sh            (from the repository root)
#
# It installs api and tck (and the parent pom) into /tmp/tck-repo (never ~/.m2), copies the example
# project under certify-outside/ to a temporary directory and runs `mvn test` there.
set -eu
root=$(cd "$(dirname "$0")/../../../.." && pwd)
repo=${TCK_REPO:-/tmp/tck-repo}
work=$(mktemp -d /tmp/certify-outside.XXXXXX)
mvn -B -ntp -q -f "$root/pom.xml" install -pl api,tck -am -DskipTests -Dmaven.repo.local="$repo"
cp -r "$root/tck/src/test/resources/certify-outside/." "$work/"
cd "$work"
mvn -B -ntp test -Dmaven.repo.local="$repo" "$@"
echo "certified from outside the reactor in $work"
