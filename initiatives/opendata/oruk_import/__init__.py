"""Import another directory's Open Referral UK feed as draft listings for staff review.

reading: the whole feed into memory (saved JSON pages, or a live API), so a feed that cannot be
read to the end writes nothing; mapping: one service record in our fields, no database; writing:
drafts matched on the feed's ids, in one transaction, each write audited.
"""
