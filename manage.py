#!/usr/bin/env python
"""Django's command-line utility (newsmag/cli.py; installed from the wheel it is the `newsmag` command)."""

from newsmag.cli import main

if __name__ == "__main__":
    main()
