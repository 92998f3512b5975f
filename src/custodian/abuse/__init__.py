"""The abuse desk (issue 17 §6): usage compared with its peers, the analyst's queue, contact before action, number
blocks and deletions of harmful communications, reports to the fraud exchange and 10DLC campaign registration."""
