-- A running press holds a lease: when it runs out (its process died), any instance may settle the
-- press as failed (`interrupted`); a press whose lease is still valid belongs to a live process.
ALTER TABLE actions ADD COLUMN lease_until INTEGER;
