"""Cases: catalogue, intake, assignment, flow and deadlines, decisions."""
