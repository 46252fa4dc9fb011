"""Every bound rapact puts on what it reads and what a template computes.

A report's inputs are small: the 2021 report's biggest data file has 40 rows,
its longest chapter is 24 KB, its longest paragraph 1,600 characters. These
caps sit far above any real report, and far below what would hang a build or
exhaust its memory. Hitting one is an error naming the file (and the line
where there is one) and the cap. docs/limits.md lists them for editors.
"""

from __future__ import annotations

# ---------------------------------------------------------------- data files

# Rows of one CSV or XLSX sheet: four times the biggest registry benchmarked
# (50,000 rows, benchmarks/README.md), which builds in seconds.
MAX_TABLE_ROWS = 200_000

# Size of one CSV file: a 200,000-row registry of names and addresses is ~30 MB.
MAX_CSV_BYTES = 100 << 20

# An XLSX workbook's parts once inflated (sheet XML, shared strings, styles):
# a 200,000-row sheet is ~60 MB of XML. A zip bomb (a 5 MB file holding a
# 1.4 GB sheet) is refused from its table of contents, before inflating.
MAX_XLSX_UNCOMPRESSED_BYTES = 200 << 20

# Digits of a number in a data file (before and after the decimal point): the
# precision of decimal arithmetic (28 digits), so a sum is never rounded
# silently; and a 5,000-digit number is not a figure of a report.
MAX_NUMBER_DIGITS = 28

# Size of one YAML data file: the 2021 ones are under 2 KB; the pure-Python
# YAML parser reads ~1 MB a second.
MAX_YAML_BYTES = 2 << 20

# Values (nodes) in one YAML file: a 2 MB file of short values holds ~200,000.
# Aliases (*name) are refused: ten lines of them expand to hundreds of millions.
MAX_YAML_NODES = 250_000

# Nesting depth of YAML collections, Markdown structures and template
# expressions: real files nest a few levels; Python's parsers recurse once or
# more per level and stop near 1,000.
MAX_NESTING = 100

# ---------------------------------------------------------------- narrative

# A chapter's Markdown file, and its text once the placeholders are filled in:
# forty times the longest 2021 chapter.
MAX_MARKDOWN_BYTES = 1 << 20

# One paragraph, list item, heading or quotation: ~15 printed pages of text
# without a break, thirty times the longest 2021 paragraph. Breaking a
# paragraph into lines costs more than linear time in the PDF writer.
MAX_PARAGRAPH_CHARS = 50_000

# Tokens of one {{ … }} or {% … %} tag: a real placeholder has a dozen; the
# compiler recurses once per operator.
MAX_TAG_TOKENS = 1_000

# Steps a chapter's template may take: loop iterations plus function and
# macro calls, all loops together. A narrative loops over a few dozen items.
MAX_TEMPLATE_STEPS = 100_000

# Length of a string or list a template builds ("x" * n, a + b, a ~ b, …).
MAX_TEMPLATE_SIZE = MAX_MARKDOWN_BYTES

# Digits of a whole number a template computes (10 ** n, a * b): far above any
# figure, while the arithmetic stays instant.
MAX_TEMPLATE_DIGITS = 100

# ---------------------------------------------------------------- pictures and the Word template

# Pixels of one picture: a 300 dpi A4 page is 8.7 million; 50 million is a
# 8,200 x 6,100 photograph, which both writers decode into ~200 MB.
MAX_PICTURE_PIXELS = 50_000_000

# Parts (files) in the template DOCX: a Word template has 10 to 40.
MAX_TEMPLATE_PARTS = 1_000

# The template DOCX's parts once inflated: embedded fonts and logos stay under
# ~20 MB; a theme part inflating to gigabytes is refused before it is read.
MAX_TEMPLATE_UNCOMPRESSED_BYTES = 100 << 20

# ---------------------------------------------------------------- configuration

# UTF-8 bytes of the configured output `name`: file systems allow 255 per
# file name, and the hidden temporary file adds ~30 (".NAME.docx.PID-XXXXXXXX.part").
MAX_NAME_BYTES = 200
