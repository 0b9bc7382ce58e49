"""Commune-level data: the gazetteer of communes, the commune criteria table
(template and reader), its aggregates and the communes' readiness."""
