"""Setting up a consultation from the government's own question list.

`parser` turns text into headings and numbered questions (plain Python, no Django);
`readers` turns an uploaded .docx, .pdf, .md or .txt into that text; `setup` creates
the consultation, its response and Cabinet report in one transaction; `earlier`
finds answers the council gave before to the same question.
"""
