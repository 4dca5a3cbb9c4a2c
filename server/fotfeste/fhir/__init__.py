"""Clinic exports in FHIR R4: the instruments as Questionnaires, a person's answers as a Bundle."""
