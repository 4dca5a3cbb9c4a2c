"""Web Push: VAPID keys, subscriptions, encryption, delivery and the outbox."""
