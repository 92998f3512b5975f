"""Need-to-know access: the pure decision point, tickets and grants, masking, break-glass."""
