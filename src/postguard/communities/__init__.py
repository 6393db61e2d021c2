"""Community platforms (Matrix, Discourse, Discord, Facebook groups): the connector
contract in :mod:`postguard.communities.base` and one module per platform."""
