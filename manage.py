#!/usr/bin/env python
"""Django's manage.py; the ``zhaoshang`` command does the same."""

from zhaoshang.cli import main

if __name__ == "__main__":
    main()
