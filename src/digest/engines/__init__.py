"""Generation backends behind one small interface: params, base, pool; hf, ct2 and extractive load lazily."""
