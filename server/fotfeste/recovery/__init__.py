"""Drug-free days: sobriety date, daily check-ins, progress and milestones."""
