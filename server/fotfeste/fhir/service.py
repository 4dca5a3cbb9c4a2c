"""What other domains may call in fhir: an instrument as a FHIR R4 Questionnaire, a person's
answers as QuestionnaireResponses and Observations, and the Bundle that carries them."""

from __future__ import annotations

from fotfeste.fhir.resources import bundle, canonical, questionnaire, response, use_observations

__all__ = ["bundle", "canonical", "questionnaire", "response", "use_observations"]
