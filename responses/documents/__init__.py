"""Documents made from one Paper for the world outside: each format reads the same
Paper, so they never disagree. `context` says what a printed document shows; `pdf`
and `word` print it; `data` gives the answers as CSV and JSON; `rendering` makes PDF
and Word out of the request."""
