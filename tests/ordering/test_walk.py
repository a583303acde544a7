"""What counts as a log line (shared by the Go and JVM walkers)."""

from __future__ import annotations

import pytest

from envlint.ordering._walk import is_log_call


@pytest.mark.parametrize(
    "callee",
    [
        "log.Printf",
        "fmt.Println",
        "s.logger.Errorw",
        "cs.logger.Error",
        "log.Error().Err(err).Msg",
        "logrus.WithError(err).Error",
        "h.log.WithError(err).Errorf",
        "zap.L().Error",
        "s.logger.ErrorContext",
        "LOG.error",
        "logger.error",
        "System.err.println",
        "e.printStackTrace",
        "c.Logger().Error",
        "auditLogger.Info",
        "request_logger.info",
        "_logger.LogError",
        "span.RecordError",
        "span.SetAttributes",
        "s.span.SetAttribute",
        "Log",
        "logError",
        "Console.WriteLine",
        "Console.Error.WriteLine",
        "System.Console.Out.Write",
        "Debug.WriteLine",
        "Trace.TraceError",
    ],
)
def test_log_calls(callee: str) -> None:
    assert is_log_call(callee, callee.rsplit(".", 1)[-1])


@pytest.mark.parametrize(
    "callee",
    [
        "catalog.Send",
        "dialog.Print",
        "errorHandler.error",
        "p.producer.Send",
        "s.mailer.Send",
        "res.status",
        "metrics.Inc",
        "Error",
        "outbox.save",
        "order.SetAttributes",
        "SetAttributes",
        "writer.WriteLine",
        "Response.Write",
        "sb.AppendLine",
        "_outbox.Write",
        "WriteLine",
    ],
)
def test_not_log_calls(callee: str) -> None:
    assert not is_log_call(callee, callee.rsplit(".", 1)[-1])
