"""great-expectations suites guarding currency conversion and club thresholds (GX 1.x, as code)."""
