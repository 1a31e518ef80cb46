"""sciguard: security and reliability checks for scientific Python.

The checks run in the ``sciguard`` binary this wheel installs; this package only lets
``python -m sciguard`` find and run it.
"""
