"""Language tools that need no model: text splitting, language codes, numbers, checks, glossary."""
