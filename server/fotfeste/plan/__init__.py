"""The personal relapse-prevention plan and waiting-list mode (the person's treatment status)."""
