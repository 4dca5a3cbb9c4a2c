"""Articles written in Markdown, one file per locale: family advice and waiting-time guidance."""
