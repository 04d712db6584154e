"""The booking relay: serves customer links and books each slot exactly once."""
