"""Log records as JSON lines, for a server's logs (settings.LOGGING uses it when DEBUG is off).

One object a line can be searched and filtered by field (journald, a log collector,
`jq`) without parsing free text, and a traceback stays inside its own record instead
of spilling over many lines. The standard library is enough for that.
"""

import json
import logging
from datetime import UTC, datetime


class JSONLinesFormatter(logging.Formatter):
    """Time (UTC), level, logger and message; for Django's request records (a page that
    failed, a host refused) also the method, path and status; and any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Django passes the request in `extra`; the path only, as a query string may
        # carry what does not belong in a log.
        request = getattr(record, "request", None)
        if hasattr(request, "path") and hasattr(request, "method"):
            entry["method"] = request.method
            entry["path"] = request.path
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)
