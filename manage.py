#!/usr/bin/env python
"""Django's command-line utility for administrative tasks (newsmag/cli.py; installed: the `newsmag` command)."""

from newsmag.cli import main

if __name__ == "__main__":
    main()
