"""Follow-up scales: instruments as data, scoring, programmes and follow-ups, crisis resources."""
