"""Exports: the staff lists and the product catalogue as XLSX and CSV files."""
