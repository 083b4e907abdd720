"""The proposal head of centerface-int8.onnx: where, in a photo searched at its own size, a face too small
for the model (12-23 px) may be, so that the costly enlarged search is run there only.

    python -m bench.faceprobe samizdat/images/models/centerface-int8.onnx samizdat/images/models/

At its own size the model scores a 16-pixel face no higher than gravel (its heat map is trained for faces
from about 20 px), but its inner layers still see something there. This head is a logistic regression
on them, trained on the face benchmark's *tuning* photos (the held-out ones stay unseen): at each cell of
4 × 4 pixels, the 24 channels of the layer the model's heads read, the 24 of its backbone at the same
scale, the 24 of the scale above (coarser, more context) and the heat map itself, each also averaged over
3 × 3 and 7 × 7 cells around it. It is added to the graph as a few 1 × 1 convolutions and two average
poolings, an output named "proposals" that costs under a hundredth of the model's time; its bias is moved
so that a cell scores above 0 where the tuning photos' small faces would be kept (KEEP of them).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy

LAYERS = ("535_DequantizeLinear_Output", "387_DequantizeLinear_Output", "525_DequantizeLinear_Output")
HEAT = "537"
POOLS = (1, 3, 7)  # each feature as it is, and averaged over 3 × 3 and 7 × 7 cells
KEEP = 0.98  # the share of the tuning photos' faces of PROPOSED widths whose centre scores above 0
PROPOSED = (12, 48)  # faces the enlarged search is for: 12-23 px, and those of 24-47 px the own size misses
PHOTOS, NEGATIVES, STEPS = 12, 8000, 400  # tuning photos, cells away from faces sampled per photo, descent steps


def _session(model: Path):
    import onnx
    import onnxruntime

    graph = onnx.load(str(model))
    for name in LAYERS:
        graph.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(graph.SerializeToString(), options, providers=["CPUExecutionProvider"])


def features(session, pixels: numpy.ndarray) -> numpy.ndarray:
    """219 × H/4 × W/4: the inner layers, the coarser one repeated to the finer scale, and their averages."""

    height, width = pixels.shape[:2]
    blob = numpy.zeros((1, 3, -(-height // 32) * 32, -(-width // 32) * 32), numpy.float32)
    blob[0, :, :height, :width] = pixels.transpose(2, 0, 1)
    heat, head, backbone, coarse = session.run([HEAT, *LAYERS], {"input.1": blob})
    stack = numpy.concatenate([head[0], backbone[0], coarse[0].repeat(2, 1).repeat(2, 2), heat[0]])
    pooled = [stack if side == 1 else _average(stack, side) for side in POOLS]
    return numpy.concatenate(pooled)[:, :-(-height // 4), :-(-width // 4)]


def _average(stack: numpy.ndarray, side: int) -> numpy.ndarray:
    """Each channel averaged over side × side cells, of those inside the map (as the graph's AveragePool)."""
    import cv2

    ones = cv2.blur(numpy.ones(stack.shape[1:], numpy.float32), (side, side), borderType=cv2.BORDER_CONSTANT)
    return numpy.stack([cv2.blur(c, (side, side), borderType=cv2.BORDER_CONSTANT) / ones for c in stack])


def _small_faces(scene, shape: tuple[int, int]) -> tuple[numpy.ndarray, list[tuple[int, int]]]:
    """(cells near any face, the centre cells of the faces of 12-23 px)."""
    near = numpy.zeros(shape, bool)
    centres = []
    for face in scene.faces:
        left, top, right, bottom = face.box
        x, y, reach = (left + right) / 8, (top + bottom) / 8, face.width / 8
        near[max(0, int(y - reach)):int(y + reach) + 1, max(0, int(x - reach)):int(x + reach) + 1] = True
        if PROPOSED[0] <= face.width < PROPOSED[1]:
            centres.append((min(shape[0] - 1, int(y)), min(shape[1] - 1, int(x))))
    return near, centres


def train(model: Path) -> tuple[numpy.ndarray, float]:
    """(weights over the 219 features, bias) of the logistic regression, the bias moved so that KEEP of the
    tuning photos' small faces score above 0 at their centre."""
    from bench.faceset import SPLITS, make_scenes

    session = _session(model)
    split = SPLITS["tuning"]
    rng = numpy.random.default_rng(0)
    rows, labels, centre_features = [], [], []
    for scene in make_scenes(PHOTOS, 30, seed=split.seed, split=split):
        found = features(session, numpy.asarray(scene.image().convert("RGB")))
        near, centres = _small_faces(scene, found.shape[1:])
        flat = found.reshape(found.shape[0], -1).T
        positive = [y * found.shape[2] + x for y, x in centres]
        negative = rng.choice(numpy.flatnonzero(~near.ravel()), NEGATIVES, replace=False)
        rows += [flat[positive], flat[negative]]
        labels += [numpy.ones(len(positive)), numpy.zeros(len(negative))]
        # A face's score is the best of the 3 × 3 cells around its centre (its centre may fall between cells).
        centre_features += [found[:, max(0, y - 1):y + 2, max(0, x - 1):x + 2].reshape(found.shape[0], -1).T
                            for y, x in centres]
    x = numpy.concatenate(rows).astype(numpy.float32)
    y = numpy.concatenate(labels)
    mean, spread = x.mean(0), x.std(0) + 1e-6
    weights, bias = _logistic((x - mean) / spread, y)
    weights = weights / spread  # on the features as the model gives them
    bias = bias - float(mean @ weights)
    best = numpy.array([float((cells @ weights).max()) + bias for cells in centre_features])
    return weights, bias - float(numpy.quantile(best, 1 - KEEP))


def _logistic(x: numpy.ndarray, y: numpy.ndarray) -> tuple[numpy.ndarray, float]:
    """Logistic regression by Adam, the faces weighted as much as all the rest together."""
    weights, bias = numpy.zeros(x.shape[1], numpy.float32), 0.0
    balance = numpy.where(y == 1, (y == 0).sum() / max(1, (y == 1).sum()), 1.0).astype(numpy.float32)
    moments = [numpy.zeros_like(weights), numpy.zeros_like(weights), 0.0, 0.0]
    for step in range(1, STEPS + 1):
        error = (1 / (1 + numpy.exp(-(x @ weights + bias))) - y) * balance / len(y)
        grad_w, grad_b = x.T @ error + 1e-4 * weights, float(error.sum())
        moments[0] = 0.9 * moments[0] + 0.1 * grad_w
        moments[1] = 0.999 * moments[1] + 0.001 * grad_w ** 2
        moments[2] = 0.9 * moments[2] + 0.1 * grad_b
        moments[3] = 0.999 * moments[3] + 0.001 * grad_b ** 2
        correction = numpy.sqrt(1 - 0.999 ** step) / (1 - 0.9 ** step)
        weights = weights - 0.05 * correction * moments[0] / (numpy.sqrt(moments[1]) + 1e-8)
        bias -= 0.05 * correction * moments[2] / (numpy.sqrt(moments[3]) + 1e-8)
    return weights.astype(numpy.float32), float(bias)


def with_proposals(model: Path, target: Path, weights: numpy.ndarray, bias: float) -> None:
    """The model with the head added: an output "proposals", 1 × 1 × H/4 × W/4, above 0 where to enlarge."""
    import onnx
    from onnx import helper, numpy_helper

    graph = onnx.load(str(model))
    nodes, inits = [], []
    per_pool = weights.reshape(len(POOLS), -1)  # pool × (24 + 24 + 24 + 1)
    sources = [(LAYERS[0], slice(0, 24)), (LAYERS[1], slice(24, 48)), (LAYERS[2], slice(48, 72)),
               (HEAT, slice(72, 73))]
    summed = []
    for number, (source, channels) in enumerate(sources):
        kernel = per_pool[:, channels][:, :, None, None]  # one output channel per pooling
        inits.append(numpy_helper.from_array(kernel.astype(numpy.float32), f"proposals_w{number}"))
        nodes.append(helper.make_node("Conv", [source, f"proposals_w{number}"], [f"proposals_c{number}"]))
        summed.append(f"proposals_c{number}")
    inits.append(numpy_helper.from_array(numpy.array([1, 1, 2, 2], numpy.float32), "proposals_twice"))
    nodes.append(helper.make_node("Resize", ["proposals_c2", "", "proposals_twice"], ["proposals_c2x"],
                                  mode="nearest", coordinate_transformation_mode="asymmetric",
                                  nearest_mode="floor"))
    summed[2] = "proposals_c2x"
    nodes.append(helper.make_node("Sum", summed, ["proposals_all"]))
    inits.append(numpy_helper.from_array(numpy.array([1] * len(POOLS), numpy.int64), "proposals_split"))
    parts = [f"proposals_p{side}" for side in POOLS]
    nodes.append(helper.make_node("Split", ["proposals_all", "proposals_split"], parts, axis=1))
    pooled = [parts[0]]
    for side, part in zip(POOLS[1:], parts[1:], strict=True):
        nodes.append(helper.make_node("AveragePool", [part], [f"{part}_avg"], kernel_shape=[side, side],
                                      pads=[side // 2] * 4, count_include_pad=0))
        pooled.append(f"{part}_avg")
    inits.append(numpy_helper.from_array(numpy.array(bias, numpy.float32).reshape(1, 1, 1, 1), "proposals_b"))
    nodes.append(helper.make_node("Sum", [*pooled, "proposals_b"], ["proposals"]))
    graph.graph.node.extend(nodes)
    graph.graph.initializer.extend(inits)
    graph.graph.output.append(helper.make_tensor_value_info("proposals", onnx.TensorProto.FLOAT,
                                                                ["n", 1, "h4", "w4"]))
    onnx.checker.check_model(graph)
    onnx.save(graph, str(target))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("int8_model", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--weights", type=Path, help="keep the trained head in this .npz, and read it from there")
    args = parser.parse_args()
    if args.weights and args.weights.exists():
        saved = numpy.load(args.weights)
        weights, bias = saved["weights"], float(saved["bias"])
    else:
        weights, bias = train(args.int8_model)
        if args.weights:
            numpy.savez(args.weights, weights=weights, bias=bias)
    with_proposals(args.int8_model, args.target, weights, bias)


if __name__ == "__main__":
    main()
