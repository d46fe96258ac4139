"""Inputs: discover files and stdin, parse each format, clean the text, give stable ids."""
