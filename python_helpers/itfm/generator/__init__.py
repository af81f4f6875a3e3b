"""The demo data generator, by concern: the catalogue of providers and teams, array
helpers, billing (resources, events, exports) and telemetry. `itfm.generate` puts
them together."""
