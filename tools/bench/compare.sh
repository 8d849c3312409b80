#!/usr/bin/env bash
# vkcolor beside PyTorch on this machine (see compare.py for what and how).
exec /usr/bin/python3 "$(dirname "$0")/compare.py" "$@"
