"""The requester portal: law enforcement and civil counsel submit legal requests and follow them."""
