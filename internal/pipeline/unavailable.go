package pipeline

import "dossier/internal/store/postgres"

// Unavailable reports whether err says the store's database cannot be
// reached now (PostgreSQL down or restarting): the caller may try again
// later, and the service recovers by itself when the database is back.
func Unavailable(err error) bool { return postgres.IsUnavailable(err) }
