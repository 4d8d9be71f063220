"""The coordinators' desk: the queue, the case, and what people do to cases, in a browser."""
