"""Documents made from one Paper for the world outside: each format reads the same
Paper, so they never disagree. (The PDF is still `responses/pdf.py`.)"""
