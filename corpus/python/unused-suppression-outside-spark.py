"""Not Spark code: no Spark rule runs here, so a sparkguard suppression is unused."""
import gc

gc.collect()  # sparkguard: ignore[SG101]  # expect: SG901
total = sum([1, 2, 3])  # noqa: E501
