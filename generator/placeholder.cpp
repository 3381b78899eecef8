// Replaced by the generator sources.
