"""The customer's online account (47 CFR 64.2010): enrolment, sign-in, sessions and one-time codes."""
