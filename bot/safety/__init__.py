"""Deterministic rules that keep patients safe: urgent red flags (red_flags), dose,
medicine-change and diagnosis questions (guardrails), personal details taken out
(redaction), checks on each incoming request (incoming) and the "forget me" request
(forget_request)."""
