"""Bounded intake: one function per kind of input (a number, a JSON body or line, a spreadsheet, a picture) that
every path calls before anything parses, decodes or locks. It imports no project app."""
