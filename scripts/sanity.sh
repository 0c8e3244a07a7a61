#!/usr/bin/env bash
# ansible-test sanity on a copy of the working tree (see ansible-test.sh); `make sanity`.
exec "$(dirname "$0")/ansible-test.sh" sanity "$@"
