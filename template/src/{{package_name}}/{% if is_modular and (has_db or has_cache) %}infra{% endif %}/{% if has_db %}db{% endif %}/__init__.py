"""PostgreSQL: the connections every domain's repository shares."""
