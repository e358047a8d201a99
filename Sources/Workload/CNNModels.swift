/// Built-in CNN layer tables, as torchvision builds them (ResNet: He et al.,
/// CVPR 2016, with the stride on the 3×3 convolution as in torchvision's
/// v1.5; MobileNetV2: Sandler et al., CVPR 2018, Table 2). Every
/// convolution is followed by a BatchNorm (a `norm` op with scale and
/// shift); activations, pooling and residual additions are elementwise ops.
public enum CNNModel: String, Sendable, CaseIterable {
    case resnet18, resnet50, mobilenetv2 = "mobilenet_v2"

    public func trace(batch: Int, resolution: Int = 224, command: String? = nil) -> Trace {
        var b = Builder(batch: batch, size: resolution, channels: 3)
        switch self {
        case .resnet18, .resnet50:
            b.resnet(bottleneck: self == .resnet50, blocks: self == .resnet18 ? [2, 2, 2, 2] : [3, 4, 6, 3])
        case .mobilenetv2: b.mobileNetV2()
        }
        let titles: [CNNModel: String] = [.resnet18: "ResNet-18", .resnet50: "ResNet-50", .mobilenetv2: "MobileNetV2"]
        return Trace(name: "\(titles[self]!) \(resolution)×\(resolution), batch \(batch)",
                     source: self == .mobilenetv2 ? "Sandler et al., CVPR 2018; torchvision mobilenet_v2"
                                                  : "He et al., CVPR 2016; torchvision \(rawValue)",
                     generatedBy: command, ops: b.ops)
    }

    struct Builder {
        let batch: Int
        var size: Int
        var channels: Int
        var ops: [Op] = []

        init(batch: Int, size: Int, channels: Int) {
            self.batch = batch
            self.size = size
            self.channels = channels
        }

        /// A convolution + BatchNorm (+ activation), updating the running shape.
        mutating func conv(_ name: String, out: Int, kernel: Int, stride: Int = 1, groups: Int = 1,
                           activation: Bool = true) {
            let padding = kernel / 2
            let op = Op(name: name, kind: .conv2d, dims: ["n": batch, "c": channels, "h": size, "w": size, "k": out,
                                                        "r": kernel, "s": kernel, "stride": stride, "padding": padding,
                                                        "groups": groups])
            ops.append(op)
            size = (size + 2 * padding - kernel) / stride + 1
            channels = out
            let elements = batch * channels * size * size
            ops.append(Op(name: name + ".bn", kind: .norm,
                          dims: ["rows": batch * size * size, "columns": channels, "affine": 2]))
            if activation {
                ops.append(Op(name: name + ".act", kind: .elementwise,
                              dims: ["elements": elements, "operands": 1, "flops": 1]))
            }
        }

        mutating func elementwise(_ name: String, operands: Int, flops: Int = 1) {
            ops.append(Op(name: name, kind: .elementwise,
                          dims: ["elements": batch * channels * size * size, "operands": operands, "flops": flops]))
        }

        mutating func resnet(bottleneck: Bool, blocks: [Int]) {
            conv("conv1", out: 64, kernel: 7, stride: 2)
            size = (size + 2 - 3) / 2 + 1
            ops.append(Op(name: "maxpool", kind: .elementwise,
                          dims: ["elements": batch * 64 * size * size, "operands": 9, "flops": 9]))
            for (stage, count) in blocks.enumerated() {
                let width = 64 << stage
                for block in 0..<count {
                    let name = "layer\(stage + 1).\(block)"
                    let stride = block == 0 && stage > 0 ? 2 : 1
                    let input = (channels, size)
                    let out = bottleneck ? width * 4 : width
                    if bottleneck {
                        conv(name + ".conv1", out: width, kernel: 1)
                        conv(name + ".conv2", out: width, kernel: 3, stride: stride)
                        conv(name + ".conv3", out: out, kernel: 1, activation: false)
                    } else {
                        conv(name + ".conv1", out: width, kernel: 3, stride: stride)
                        conv(name + ".conv2", out: width, kernel: 3, activation: false)
                    }
                    if input.0 != out || stride != 1 {
                        let after = (channels, size)
                        (channels, size) = input
                        conv(name + ".downsample", out: out, kernel: 1, stride: stride, activation: false)
                        (channels, size) = after
                    }
                    elementwise(name + ".residual", operands: 2)
                    elementwise(name + ".act", operands: 1)
                }
            }
            head()
        }

        mutating func mobileNetV2() {
            conv("features.0", out: 32, kernel: 3, stride: 2)
            let settings = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                            (6, 320, 1, 1)]
            var index = 1
            for (t, c, n, s) in settings {
                for i in 0..<n {
                    let name = "features.\(index)"
                    let input = channels, stride = i == 0 ? s : 1
                    let hidden = input * t
                    if t != 1 { conv(name + ".expand", out: hidden, kernel: 1) }
                    conv(name + ".depthwise", out: hidden, kernel: 3, stride: stride, groups: hidden)
                    conv(name + ".project", out: c, kernel: 1, activation: false)
                    if stride == 1 && input == c { elementwise(name + ".residual", operands: 2) }
                    index += 1
                }
            }
            conv("features.18", out: 1280, kernel: 1)
            head()
        }

        /// Global average pooling and the 1000-class classifier.
        mutating func head() {
            ops.append(Op(name: "avgpool", kind: .elementwise,
                          dims: ["elements": batch * channels, "operands": size * size, "flops": size * size]))
            ops.append(Op(name: "fc", kind: .gemm, dims: ["m": batch, "n": 1000, "k": channels, "bias": 1]))
        }
    }
}
