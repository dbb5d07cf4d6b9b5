"""What a resident types into the public forms, for tests that send them."""

# The "Send a message" form, filled in as a resident would: a name, an email address, consent.
ENQUIRY = {
    "name": "Sam Resident",
    "email": "sam@example.test",
    "phone": "",
    "message": "Can you help me write a CV?",
    "consent": "on",
    "website": "",  # the trap field only robots fill in
}
