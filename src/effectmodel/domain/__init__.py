"""The domain vocabulary: params and data types, column names, schemas and checks. No file
I/O, no model, no presentation: every other layer may import it."""
